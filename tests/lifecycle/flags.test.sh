# flags.test.sh: `tfreport flags` as a real process: tfruns's flags() for scripts in any
# language (reference section 3): declarations, flags.yml sections and inherits,
# $TFRUNS_FLAGS, the script's own arguments, the three output formats, --help, errors and
# their exit statuses, flags.json recorded in the active run and read back by `ls`.

# The tfruns test fixture (tests/testthat: define_flags()).
cat >fx <<'EOF'
#!/bin/sh
exec $TFREPORT flags --numeric learning_rate=0.01:'Initial learning rate.' \
	--integer max_steps=5000:'Number of steps to run trainer.' \
	--string data_dir=MNIST-data:'Directory for training data' \
	--boolean fake_data=FALSE:'If true, use fake data for testing' "$@"
EOF
chmod +x fx
fx() { ./fx "$@"; }
nl='
'

# ---- reference 3.4 test vectors ----
check_eq "defaults: typed JSON in declaration order" "$(fx)" \
"{
  \"learning_rate\": 0.01,
  \"max_steps\": 5000,
  \"data_dir\": \"MNIST-data\",
  \"fake_data\": false
}"
check_eq "--learning-rate 0.02 => learning_rate = 0.02" \
	"$(fx --format sh -- --learning-rate 0.02 | grep learning_rate)" "learning_rate='0.02'"
check_status "--learn-rate 0.02 => error (exit 1)" 1 fx -- --learn-rate 0.02
check_eq "... naming the undeclared flag" "$(cat lc.err)" \
	"tfreport: The following flags were provided but not declared: learn_rate"
check_eq "--args stops parsing: --gradient-descent-optimizer 0.47 --args --job-dir gs://..." \
	"$(tf flags --numeric gradient_descent_optimizer=0.5 --format sh -- \
		--gradient-descent-optimizer 0.47 --args --job-dir gs://bucket/job)" \
	"gradient_descent_optimizer='0.47'"
check_eq "--key=value splits at the first '='" \
	"$(fx --format sh -- --data-dir=a=b=c | grep data_dir)" "data_dir='a=b=c'"
check_eq "--key takes the next argument whatever it is (here --fake-data)" \
	"$(fx -- --data-dir=a=b --max-steps --fake-data 2>&1)" \
	"tfreport: Unable to convert flag 'max_steps' with value '--fake-data' to type integer"
check_eq "positional and single-dash arguments are skipped, the last value wins" \
	"$(fx --format sh -- train.py -v 3 --max-steps 10 --max-steps=20 | grep max_steps)" "max_steps='20'"
check_eq "a null value (~, empty) keeps the lower-precedence value" \
	"$(fx --format sh -- --learning-rate '~' --max-steps= | grep -e learning -e max)" \
	"learning_rate='0.01'${nl}max_steps='5000'"
check_status "a trailing --key with no value is an error (exit 1)" 1 fx -- --max-steps
check_eq "... named" "$(cat lc.err)" "tfreport: missing value for --max-steps"
check_eq "two undeclared flags: listed comma-space, in order" \
	"$(fx -- --zeta 1 --max-steps 2 --alpha-beta 3 2>&1)" \
	"tfreport: The following flags were provided but not declared: zeta, alpha_beta"

# ---- YAML 1.1 values (3.4) and the coercion table (3.6) ----
check_eq "YAML 1.1 values: yes/On/FALSE are booleans, 0x1A hex, .5 a float, ~ nothing" \
	"$(tf flags --boolean a=false --boolean b=false --boolean c=true --numeric h=0 --numeric f=0 \
		--format sh -- --a yes --b On --c FALSE --h 0x1A --f .5)" \
	"a='true'${nl}b='true'${nl}c='false'${nl}h='26'${nl}f='0.5'"
check_eq "integer: 2.7 truncated to 2, TRUE is 1; numeric: Inf; boolean: T and 0" \
	"$(tf flags --integer i=0 --integer j=0 --numeric n=0 --boolean t=false --boolean z=true \
		--format sh -- --i 2.7 --j TRUE --n Inf --t T --z 0)" \
	"i='2'${nl}j='1'${nl}n='Inf'${nl}t='true'${nl}z='false'"
check_eq "string: numbers as R writes them (1e+05, 0.02, 100000), booleans TRUE/FALSE" \
	"$(tf flags --string a=x --string b=x --string c=x --string d=x --format sh -- \
		--a 1e5 --b 0.02 --c 100000 --d no)" \
	"a='1e+05'${nl}b='0.02'${nl}c='100000'${nl}d='FALSE'"
check_eq "a quoted value stays a string: '5000', \"yes\"" \
	"$(tf flags --string a=x --string b=x --format sh -- --a "'5000'" --b '"yes"')" "a='5000'${nl}b='yes'"
check_status "a YAML list as a value: exit 1" 1 tf flags --numeric lr=0.1 -- --lr '[0.1, 0.2]'
check_eq "... with tfruns's message" "$(cat lc.err)" \
	'tfreport: flag "lr" has length > 1 (only scalar flag values are supported)'
check_status "integer outside the 32-bit range: exit 1" 1 tf flags --integer n=1 -- --n 2147483648
check_eq "... with tfruns's message" "$(cat lc.err)" \
	"tfreport: Unable to convert flag 'n' with value '2147483648' to type integer"
check_status "a string where a number is declared: exit 1" 1 tf flags --numeric lr=0.1 -- --lr fast
check_eq "... with tfruns's message" "$(cat lc.err)" \
	"tfreport: Unable to convert flag 'lr' with value 'fast' to type numeric"
check_status "boolean 'maybe': exit 1" 1 tf flags --boolean b=false -- --b maybe
printf 'lr: [0.1, 0.2]\n' >list.yml
check_status "a list value: exit 1" 1 tf flags --numeric lr=0.1 --file list.yml
check_eq "... with tfruns's message" "$(cat lc.err)" \
	'tfreport: flag "lr" has length > 1 (only scalar flag values are supported)'
printf 'other: 1\n' >p.yml
check_eq "full precision: 2e-5 and 1e-6 exact, 0.123456789 not rounded to 7 digits (with a flags file)" \
	"$(tf flags --numeric a=0 --numeric b=0 --numeric c=0.123456789 --integer other=0 --file p.yml \
		--format sh -- --a 2e-5 --b 1e-6)" \
	"a='2e-05'${nl}b='1e-06'${nl}c='0.123456789'${nl}other='1'"

# ---- declarations ----
check_eq "declaration order is the command-line order across the four kinds" \
	"$(tf flags --string b=x --numeric a=1 --boolean c=no --string d=y\\:z:'a: description' --integer e=7 \
		--format sh)" \
	"b='x'${nl}a='1'${nl}c='false'${nl}d='y:z'${nl}e='7'"
check_status "a flag declared twice: usage error (exit 2)" 2 tf flags --numeric lr=0.1 --string lr=x
check_eq "... with tfruns's message" "$(cat lc.err)" \
	"tfreport: A flag named 'lr' has already been defined"
check_status "a default that is not of the type: exit 2" 2 tf flags --integer n=many
check_status "a declaration without '=': exit 2" 2 tf flags --numeric lr
check_status "--format xml: exit 2" 2 tf flags --numeric lr=1 --format xml
check_status "--format sh with a name that is no shell variable: exit 2" 2 \
	tf flags --numeric 'learning-rate=1' --format sh
check_eq "no declarations: an empty object, nothing parsed (tfruns)" \
	"$(tf flags -- --anything goes)" "{}"

# ---- --help (3.7) ----
fx -- --max-steps 3 --help >help.out
printf '\nOptions:\n  --learning-rate    Initial learning rate. (0.01)\n  --max-steps        Number of steps to run trainer. (5000)\n  --data-dir         Directory for training data (MNIST-data)\n  --fake-data        If true, use fake data for testing (FALSE)\n\n' >help.want
check "--help: the tfruns layout byte for byte, declared defaults" cmp help.out help.want
check_status "--help exits 0" 0 fx -- --help
check_status "--help wins even after --args and over bad values" 0 fx -- --max-steps x --args --help
check_eq "--help with no flag declared prints nothing" "$(tf flags -- --help | wc -c | tr -d ' ')" 0
cat >train.sh <<'EOF'
#!/bin/sh
eval "$($TFREPORT flags --numeric learning_rate=0.01:'Initial learning rate.' \
	--integer max_steps=5000:'Number of steps to run trainer.' \
	--string data_dir=MNIST-data:'Directory for training data' \
	--boolean fake_data=FALSE:'If true, use fake data for testing' --format sh -- "$@")"
if $fake_data; then echo "fake data, $max_steps steps at $learning_rate from $data_dir"; fi
echo "trained"
EOF
chmod +x train.sh
./train.sh --help >help.sh.out
check "--format sh: eval of --help prints the same layout and ends the script" cmp help.sh.out help.want
check_eq "--format sh: a shell script reads its flags with eval" \
	"$(./train.sh --fake-data yes --data-dir "it's here" --max-steps=7)" \
	"fake data, 7 steps at 0.01 from it's here${nl}trained"
check_status "--format sh: a bad flag stops the script with its status" 1 ./train.sh --max-steps many
check_eq "... and tells why" "$(cat lc.out lc.err)" "tfreport: Unable to convert flag 'max_steps' with value 'many' to type integer"
check_eq "--format sh: on an error, stdout is only the exit for eval" \
	"$(tf flags --numeric a=1 --format sh -- --b 2 2>/dev/null)" "exit 1"
check_eq "... with the usage status for a bad declaration" \
	"$(tf flags --numeric a=x --format sh 2>/dev/null)" "exit 2"
check_eq "--format env: FLAG_NAME=value lines" \
	"$(fx --format env -- --data-dir 'a b' --fake-data on)" \
	"FLAG_LEARNING_RATE=0.01${nl}FLAG_MAX_STEPS=5000${nl}FLAG_DATA_DIR=a b${nl}FLAG_FAKE_DATA=true"
check_status "--format env: a value with a line break is an error (exit 1)" 1 \
	tf flags --string s=x --format env -- --s "a${nl}b"

# ---- flags.yml (3.3): flat, profile, mixed, sections, inherits ----
printf 'learning_rate: 0.02\n' >flags.yml
check_eq "flat flags.yml: learning_rate 0.02" "$(fx --format sh | head -n 1)" "learning_rate='0.02'"
check_eq "the command line wins over flags.yml" \
	"$(fx --format sh -- --learning-rate 0.5 | head -n 1)" "learning_rate='0.5'"
printf 'myconfig:\n  learning_rate: 0.03\n' >flags.yml
check_eq "profile flags.yml, --config myconfig: 0.03" \
	"$(fx --config myconfig --format sh | head -n 1)" "learning_rate='0.03'"
check_eq "profile flags.yml, config default: the declared 0.01" \
	"$(fx --format sh | head -n 1)" "learning_rate='0.01'"
check_eq "\$R_CONFIG_ACTIVE chooses the section" \
	"$(R_CONFIG_ACTIVE=myconfig fx --format sh | head -n 1)" "learning_rate='0.03'"
check_eq "\$TFRUNS_CONFIG before \$R_CONFIG_ACTIVE, --config before both" \
	"$(TFRUNS_CONFIG=myconfig R_CONFIG_ACTIVE=x fx --format sh | head -n 1) $(TFRUNS_CONFIG=x fx --config myconfig --format sh | head -n 1)" \
	"learning_rate='0.03' learning_rate='0.03'"
printf 'learning_rate: 0.02\nmyconfig:\n  learning_rate: 0.03\n' >flags.yml
check_status "a mixed file is flat: section names become undeclared flags (exit 1)" 1 fx --config myconfig
check_eq "... named" "$(cat lc.err)" "tfreport: The following flags were provided but not declared: myconfig"
cat >flags.yml <<'EOF'
default:
  max_steps: 100
base:
  learning_rate: 0.1
  data_dir: base-data
fast:
  learning_rate: 0.5
one:
  inherits: base
  fake_data: yes
both:
  inherits: [base, fast]
chain:
  inherits: one
  max_steps: 7
own:
  inherits: [fast, base]
  learning_rate: 0.9
loop:
  inherits: pool
pool:
  inherits: loop
EOF
check_eq "inherits one section, over default:, under its own values" \
	"$(fx --config one --format env)" \
	"FLAG_LEARNING_RATE=0.1${nl}FLAG_MAX_STEPS=100${nl}FLAG_DATA_DIR=base-data${nl}FLAG_FAKE_DATA=true"
check_eq "inherits a list: merged left to right" \
	"$(fx --config both --format env | head -n 1)" "FLAG_LEARNING_RATE=0.5"
check_eq "inherits a list: own values last" "$(fx --config own --format env | head -n 1)" "FLAG_LEARNING_RATE=0.9"
check_eq "inherits a chain" "$(fx --config chain --format env)" \
	"FLAG_LEARNING_RATE=0.1${nl}FLAG_MAX_STEPS=7${nl}FLAG_DATA_DIR=base-data${nl}FLAG_FAKE_DATA=true"
check_status "an inherits cycle: exit 1" 1 fx --config loop
check_eq "... with config's message" "$(cat lc.err)" "tfreport: flags.yml: Configuration loop inherits from itself!"
check_eq "a section that does not exist: just default:" "$(fx --config nosuch --format env | sed -n 2p)" \
	"FLAG_MAX_STEPS=100"
printf 'a: 1\n  b: 2\n' >bad.yml
check_status "a YAML syntax error: exit 1" 1 fx --file bad.yml
check_eq "... named file:line" "$(cat lc.err)" "tfreport: bad.yml:2: mapping values are not allowed in this context"
check_status "an explicit file that does not exist: a warning, then the defaults" 0 fx --file missing.yml
check_eq "... the warning" "$(cat lc.err)" "tfreport: warning: configuration file 'missing.yml' does not exist"
rm flags.yml
check_eq "no flags.yml: silently the defaults" "$(fx 2>&1 | head -n 2 | tail -n 1)" '  "learning_rate": 0.01,'

# ---- $TFRUNS_FLAGS (set by tfreport run): over the file, under the script's arguments ----
printf 'learning_rate: 0.02\nmax_steps: 10\nfake_data: true\n' >flags.yml
check_eq "the file < \$TFRUNS_FLAGS < the arguments (a string 'yes' from \$TFRUNS_FLAGS stays a string)" \
	"$(TFRUNS_FLAGS='{"learning_rate": 0.3, "max_steps": 20, "data_dir": "yes"}' \
		fx --file flags.yml --format env -- --max-steps 30 --data-dir=yes)" \
	"FLAG_LEARNING_RATE=0.3${nl}FLAG_MAX_STEPS=30${nl}FLAG_DATA_DIR=yes${nl}FLAG_FAKE_DATA=true"
check_status "\$TFRUNS_FLAGS with an undeclared flag: exit 1" 1 env TFRUNS_FLAGS='{"units": 5}' ./fx
check_status "\$TFRUNS_FLAGS that is not a JSON object: exit 1" 1 env TFRUNS_FLAGS='[1]' ./fx
check_eq "... named" "$(cat lc.err)" "tfreport: \$TFRUNS_FLAGS: expected a JSON object of flag values"
printf 'units: 5\n' >flags.yml
check_eq "under tfreport run (\$TFRUNS_FLAGS set), flags.yml is not read again (run's --flags-file stands)" \
	"$(TFRUNS_FLAGS='{"learning_rate": 0.3}' fx --format env | head -n 1)" "FLAG_LEARNING_RATE=0.3"
printf 'learning_rate: 0.7\n' >other.yml
check_eq "... unless --file names a file: under \$TFRUNS_FLAGS still" \
	"$(TFRUNS_FLAGS='{"max_steps": 3}' fx --file other.yml --format env | head -n 2)" \
	"FLAG_LEARNING_RATE=0.7${nl}FLAG_MAX_STEPS=3"
rm flags.yml

# ---- flags.json in the active run ----
run=$(tf unique-dir)
TFRUNS_RUN_DIR=$run fx -- --learning-rate 2e-5 --data-dir "a \"quoted\" dir" >stdout.json
check_file "flags.json recorded in \$TFRUNS_RUN_DIR/tfruns.d" "$run/tfruns.d/flags.json"
check "flags.json is the printed JSON" cmp stdout.json "$run/tfruns.d/flags.json"
check_eq "flags.json in tfruns's layout" "$(cat "$run/tfruns.d/flags.json")" \
"{
  \"learning_rate\": 2e-05,
  \"max_steps\": 5000,
  \"data_dir\": \"a \\\"quoted\\\" dir\",
  \"fake_data\": false
}"
check_eq "no temporary file left behind" "$(ls -A "$run/tfruns.d")" "flags.json"
check_eq "tfreport ls shows the flag_ columns of the run" \
	"$(tf ls --columns 'flag_*' --format csv)" \
	"run_dir,flag_learning_rate,flag_max_steps,flag_data_dir,flag_fake_data${nl}$run,2e-05,5000,\"a \"\"quoted\"\" dir\",false"
TFRUNS_RUN_DIR=$run fx -- --help >/dev/null
TFRUNS_RUN_DIR=$run fx -- --max-steps oops 2>/dev/null
check_eq "--help and errors leave flags.json as it was" "$(cmp stdout.json "$run/tfruns.d/flags.json" && echo same)" same
TFRUNS_RUN_DIR=$run tf flags -- --x 1 >/dev/null
check_eq "no declarations: flags.json (written by tfreport run) is left alone" \
	"$(cmp stdout.json "$run/tfruns.d/flags.json" && echo same)" same
check_status "a run dir that does not exist: exit 1, nothing created" 1 env TFRUNS_RUN_DIR=runs/typo ./fx
check_eq "... named" "$(cat lc.err)" "tfreport: runs/typo: \$TFRUNS_RUN_DIR is not a directory"
check_eq "... and not made" "$(ls runs)" "$(basename "$run")"
mkdir -p elsewhere run2
ln -s ../elsewhere run2/tfruns.d
check_status "a tfruns.d that is a symbolic link out of the run: exit 1" 1 env TFRUNS_RUN_DIR=run2 ./fx
check_eq "... nothing written through it" "$(ls elsewhere)" ""

# ---- another language: a Python script reads the JSON ----
cat >train.py <<'EOF2'
import json, os, subprocess, sys
cmd = os.environ["TFREPORT"].split() + ["flags", "--numeric", "learning_rate=0.01:Initial learning rate",
       "--integer", "epochs=10", "--boolean", "augment=no", "--string", "optimizer=adam", "--"] + sys.argv[1:]
out = subprocess.run(cmd, stdout=subprocess.PIPE, universal_newlines=True)
if out.returncode != 0 or "--help" in sys.argv[1:]:
    sys.stdout.write(out.stdout)
    sys.exit(out.returncode)
FLAGS = json.loads(out.stdout)
print(type(FLAGS["learning_rate"]).__name__, type(FLAGS["epochs"]).__name__,
      type(FLAGS["augment"]).__name__, type(FLAGS["optimizer"]).__name__)
print(FLAGS["learning_rate"] * 2, FLAGS["epochs"] + 1, not FLAGS["augment"], FLAGS["optimizer"].upper())
EOF2
check_eq "python: typed values from the JSON" "$(python3 train.py --epochs 4 --learning-rate=2e-5 --augment TRUE)" \
	"float int bool str${nl}4e-05 5 False ADAM"
check_eq "python: --help" "$(python3 train.py --help | sed -n 3p)" "  --learning-rate    Initial learning rate (0.01)"
check_status "python: an undeclared flag fails the script" 1 python3 train.py --epoch 3
