# manage.test.sh: clean, purge and copy over real run directories: what moves, what is removed,
# what is copied, and that nothing outside the runs dir changes and nothing is lost.

# A run named $1 in runs/ with property x=$2, an artifact and a plot.
mkrun() {
	mkdir -p "runs/$1/plots" "runs/$1/sub"
	tf write --run "runs/$1" properties x="$2" completed=TRUE
	tf write --run "runs/$1" metrics --step 1 loss=0.5
	echo "artifact of $1" >"runs/$1/model.bin"
	echo "extra" >"runs/$1/sub/extra.dat"
	echo png >"runs/$1/plots/Rplot001.png"
}
names() { ls -A "$1" 2>/dev/null | tr '\n' ' '; }
# Everything under outside/ (names, sizes, modes, times, link targets) and the sentinel's text.
mkdir -p outside/run1/tfruns.d outside/dir
echo "do not touch" >outside/sentinel.txt
echo data >outside/dir/file
snap() {
	stat -c '%n %Y %a' outside; ls -lAR --time-style=full-iso outside | cksum
	cat outside/sentinel.txt outside/dir/file
}
before=$(snap)
outside_same() { check_eq "$1: nothing outside the runs dir changed" "$(snap)" "$before"; }

# --- clean ------------------------------------------------------------------------------------
mkrun a 1
mkrun b 2
mkrun c 3
ino=$(stat -c %i runs/a)
check_eq "clean RUN: tfruns's message" "$(tf clean a)" \
	"Moved 1 run to runs/archive (tfreport purge to remove permanently)"
check_eq "... the run left the runs dir" "$(names runs)" "archive b c "
check_eq "... moved by rename(2): the same directory (inode), not a copy" "$(stat -c %i runs/archive/a)" "$ino"
check_eq "... whole" "$(cat runs/archive/a/model.bin)" "artifact of a"
check_eq "clean --filter moves the runs ls --filter selects" "$(tf clean --filter 'x == "2"' --yes)" \
	"Moved 1 run to runs/archive (tfreport purge to remove permanently)"
check_eq "... b moved, c stays" "$(names runs)" "archive c "
check_eq "--runs-dir runs/archive ls lists the archived runs" \
	"$(tf --runs-dir runs/archive ls --format csv --columns x)" \
	"$(printf 'run_dir,x\nruns/archive/b,2\nruns/archive/a,1')"
check_eq "clean with no RUN moves all runs (as tfruns)" "$(tf clean)" \
	"Moved 1 run to runs/archive (tfreport purge to remove permanently)"
check_eq "... ls is empty" "$(tf ls --format csv)" ""
check_eq "... the archive lists all three" "$(tf --runs-dir runs/archive ls --format csv --columns x | wc -l | tr -d ' ')" 4
check_eq "clean with no runs: tfruns's message" "$(tf clean)" "No runs found to clean."
check_status "clean with a filter matching nothing: status 0" 0 tf clean --filter 'x == "9"'
check_eq "... No runs found to clean." "$(cat lc.out)" "No runs found to clean."
check_status "clean of an unknown run: status 2" 2 tf clean nosuch
check_status "clean with RUN and --filter: status 2" 2 tf clean a --filter 'x == 1'
check_status "clean with a bad filter: status 2" 2 tf clean --filter 'x =='
outside_same "clean"

# --- purge --------------------------------------------------------------------------------------
mkdir -p runs/archive/not-a-run
echo keep >runs/archive/notes.txt
ln -s ../../outside/run1 runs/archive/link-to-outside-run
ln -s ../../../outside/sentinel.txt runs/archive/a/link-to-sentinel
ln -s ../../../outside runs/archive/b/link-to-outside-dir
check_eq "purge removes only the run directories in the archive" "$(tf purge)" \
	"$(printf 'Permanently removed 3 runs\nLeft 3 entries in runs/archive that are not run directories')"
check_eq "... the archive keeps what is not a run (a link to a run outside stays a link)" \
	"$(names runs/archive)" "link-to-outside-run not-a-run notes.txt "
check_eq "--runs-dir runs/archive ls: only the link to the run outside is left" \
	"$(tf --runs-dir runs/archive ls --format csv --columns run_dir)" "$(printf 'run_dir\nruns/archive/link-to-outside-run')"
outside_same "purge with links out of the runs"
rm -rf runs/archive
check_eq "purge with nothing archived" "$(tf purge)" "No runs found to purge."
check_status "... status 0" 0 tf purge
check_eq "purge without a runs dir" "$(tf --runs-dir nowhere purge)" "No runs found to purge."
check_eq "... creates nothing" "$(names nowhere)" ""

# A read-only directory inside an archived run is still removed (as rm -rf would for its owner).
mkrun ro 1
mkdir -p runs/ro/cache/deep
echo x >runs/ro/cache/deep/f
chmod 555 runs/ro/cache/deep runs/ro/cache
tf clean ro >/dev/null
check_status "purge of a run with a read-only directory: status 0" 0 tf purge
check_eq "... removed" "$(names runs/archive)" ""

# The archive itself a link out of the runs dir: purge refuses.
mkrun d 4
mv runs/archive runs/archive.old
mkdir -p outside/fake-archive
cp -r outside/run1 outside/fake-archive/r
before=$(snap)
ln -s ../outside/fake-archive runs/archive
check_status "purge when runs/archive is a link elsewhere: refused, status 1" 1 tf purge
check "... with a clear error" grep -q 'runs/archive: not a directory (a symbolic link?); nothing removed' lc.err
check_status "clean when runs/archive is a link elsewhere: refused" 1 tf clean
outside_same "archive a link"
rm runs/archive
mv runs/archive.old runs/archive

# --- targets outside the runs dir -----------------------------------------------------------
check_status "clean ../outside/run1 (a run outside the runs dir): refused, status 2" 2 tf clean ../outside/run1
check "... saying why" grep -q 'not a run in the runs directory' lc.err
check_status "clean outside/run1 (a path to a run outside): refused" 2 tf clean outside/run1
check_status "clean runs/../outside/run1: refused" 2 tf clean runs/../outside/run1
ln -s ../outside/run1 runs/evil
check_status "clean of a link resolving outside: refused" 2 tf clean evil
check_status "clean of all runs when one is a link resolving outside: refused" 2 tf clean
check_eq "... and nothing moved, not even the other runs" "$(names runs)" "archive d evil "
check_status "clean of the archive itself: refused" 2 tf clean archive
rm runs/evil
outside_same "clean refusing targets outside"

# --- a name collision in the archive --------------------------------------------------------
mkrun e 5
tf clean e >/dev/null
echo "the archived e" >runs/archive/e/model.bin
mkrun e 6
check_status "clean when the archive has the name already: status 1" 1 tf clean d e
check "... naming the collision" grep -q 'runs/archive/e: already exists; nothing moved' lc.err
check_eq "... nothing moved (d neither)" "$(names runs)" "archive d e "
check_eq "... the archived run is intact" "$(cat runs/archive/e/model.bin)" "the archived e"
check_eq "... the run in place is intact" "$(cat runs/e/tfruns.d/properties/x)" 6
mkdir runs/archive/d
check_status "an empty directory in the way is not replaced either" 1 tf clean d
check_eq "... d is still a run in runs/" "$(cat runs/d/tfruns.d/properties/x)" 4
rmdir runs/archive/d
outside_same "collisions"

# --- copy ----------------------------------------------------------------------------------------
mkdir -p runs/d/logs
echo events >runs/d/logs/events
chmod 640 runs/d/model.bin
chmod 700 runs/d/sub
touch -d '2020-01-02 03:04:05' runs/d/model.bin runs/d/sub/extra.dat
touch -d '2020-01-02 03:04:05' runs/d/sub
ln -s ../../outside/sentinel.txt runs/d/link-out
ln -s model.bin runs/d/link-in
check_eq "copy RUN --to DIR" "$(tf copy d --to best)" "Copied 1 run to best"
check_eq "... the whole run" "$(names best/d)" "link-in link-out logs model.bin plots sub tfruns.d "
check_eq "... contents" "$(cat best/d/sub/extra.dat)" extra
check_eq "... modes kept" "$(stat -c %a best/d/model.bin best/d/sub | tr '\n' ' ')" "640 700 "
check_eq "... modification times kept" "$(stat -c %Y best/d/model.bin best/d/sub/extra.dat best/d/sub | tr '\n' ' ')" \
	"$(stat -c %Y runs/d/model.bin runs/d/sub/extra.dat runs/d/sub | tr '\n' ' ')"
check_eq "... a link out of the run is copied as a link (not followed)" "$(readlink best/d/link-out)" ../../outside/sentinel.txt
check "... and is still a link" test -L best/d/link-in
check_eq "... the copy reads as the same run" "$(tf --runs-dir best ls --format csv --columns x)" \
	"$(printf 'run_dir,x\nbest/d,4')"
check_eq "copy --files-only --rename: only the artifacts" "$(tf copy d --files-only --rename d-model --to best)" \
	"Copied the artifacts of 1 run to best"
check_eq "... without tfruns.d, plots and logs" "$(names best/d-model)" "link-in link-out model.bin sub "
check_eq "copy of two runs with --rename" "$(tf copy d e --rename one --rename two --to best)" "Copied 2 runs to best"
check_eq "... named in order" "$(cat best/one/tfruns.d/properties/x best/two/tfruns.d/properties/x | tr '\n' ' ')" "4 6 "
check_status "--rename count not matching the runs: status 2" 2 tf copy d e --rename only --to best
check "... with tfruns's rule in the message" grep -q 'give one NAME per RUN (2 runs, 1 name)' lc.err
check_status "--rename with a '/': status 2" 2 tf copy d --rename ../x --to best
check_status "two runs to one name: status 2" 2 tf copy d e --rename same --rename same --to best
check_status "copy of an unknown run: status 2" 2 tf copy nosuch --to best
check_status "copy without a RUN: status 2" 2 tf copy --to best

echo "the first copy" >best/d/model.bin
before_best=$(ls -laR --time-style=full-iso best | cksum)
check_status "copy onto an existing destination: status 1" 1 tf copy e d --to best
check "... naming it" grep -q 'best/d: already exists; nothing copied' lc.err
check_eq "... nothing copied (e neither), nothing overwritten, no temporary left" \
	"$(ls -laR --time-style=full-iso best | cksum)" "$before_best"
check_status "copy into the run itself: refused" 1 tf copy d --to runs/d/inner
check_eq "... nothing copied into it, the destination not even created" "$(names runs/d)" \
	"link-in link-out logs model.bin plots sub tfruns.d "
check_eq "copy by path, default --to the current directory" "$(cd best && tf copy ../runs/e --rename e-here)" \
	"Copied 1 run to ."
check "... there" test -f best/e-here/model.bin
check_eq "copy left the runs in place" "$(names runs)" "archive d e "
outside_same "copy"

# A FIFO is neither copied nor opened (opening it would block).
mkfifo runs/e/fifo
check_status "a FIFO in a run is left out with a warning: status 0" 0 tf copy e --rename with-fifo --to best
check "... the warning names it" grep -q 'runs/e/fifo: warning: not a file, directory or link; not copied' lc.err
check "... the rest is copied" test -f best/with-fifo/model.bin
rm runs/e/fifo best/with-fifo -r
# A file copy cannot read fails that run and leaves no partial copy (root reads anything).
if [ "$(id -u)" != 0 ]; then
	chmod 000 runs/e/model.bin
	check_status "an unreadable file: status 1" 1 tf copy e --rename broken --to best
	check_eq "... no partial copy, no temporary left" "$(ls -A best | grep -c broken)" 0
	chmod 644 runs/e/model.bin
fi

# --- confirmation on a terminal -------------------------------------------------------------
mkrun f 7
printf 'n\n' | script -qec "$TFREPORT clean f" /dev/null >tty.out 2>&1
check "on a terminal clean shows the plan and asks" grep -q 'Move 1 run directory to runs/archive? \[Y/n\]' tty.out
check "... the plan names the run" grep -q '^  runs/f' tty.out
check_eq "... 'n' moves nothing" "$(names runs)" "archive d e f "
printf '\n' | script -qec "$TFREPORT clean f" /dev/null >tty.out 2>&1
check_eq "... an empty answer goes ahead (as tfruns)" "$(names runs)" "archive d e "
printf 'n\n' | script -qec "$TFREPORT purge" /dev/null >tty.out 2>&1
check "purge asks too" grep -q 'Permanently remove 2 run directories from runs/archive? \[Y/n\]' tty.out
check_eq "... 'n' removes nothing" "$(names runs/archive)" "e f "
script -qec "$TFREPORT purge --yes" /dev/null </dev/null >tty.out 2>&1
check "--yes does not ask" grep -q 'Permanently removed 2 runs' tty.out
check_eq "... and removes" "$(names runs/archive)" ""
outside_same "the end"
