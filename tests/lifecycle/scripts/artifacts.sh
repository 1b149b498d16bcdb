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
