# size experiment patch (benches/size/experiment.sh): run in the scratch copy's root.
import glob
for f in glob.glob('lessons/*/*.md'): open(f,'w').close()
# build.rs must run again here: a target dir shared with another checkout keeps its
# OUT_DIR/lessons.rs, which include_str!s that checkout's lessons.
open('build.rs','a').write('\n// size experiment: rerun\n')
