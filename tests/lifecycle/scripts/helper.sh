#!/bin/sh
# helper.sh: a sibling of train.sh with the same extension (saved in source.tar.gz with it).
echo helper
