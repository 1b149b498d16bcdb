#!/bin/sh
# artifacts.sh: makes the files the artifacts test expects to be copied or left out.
echo new >extra.dat
mkdir -p subdir deep/er
echo new >subdir/extra.dat
echo new >deep/er/file.bin
echo more >>changed.txt
echo log >train.log
mkdir -p cache && echo c >cache/c.dat
echo g >.git/new-object
echo stray >"$STRAY_DIR/stray.txt"
ln -s extra.dat link.dat
echo t >top.tmp
mkdir -p x sub2 && echo t >x/top.tmp && echo o >sub2/a.o && echo c >sub2/a.c
# a file the run has already: not overwritten by the copy
mkdir -p plots && echo cwd >plots/p.txt && echo run >"$TFRUNS_RUN_DIR/plots/p.txt"
# a link inside the run pointing out of it: the copy must not write through it
ln -s "$OUTSIDE_DIR" "$TFRUNS_RUN_DIR/escape"
mkdir -p escape && echo e >escape/e.txt
