# perplatform.gp: one benchmark, one bar per platform in its own colour,
# the mean with its error bar and every run as a small point, so that the
# noise behind a mean is visible (course memsweep, forksum, LINPACK).
# Drawn by bars.gp; analyze --plot picks it for memsweep, forksum and
# linpack, and always writes $runs for it.
#
# Datablocks: as bars.gp, $runs (cluster series value run) included.
# Variables: as bars.gp; fig_bycluster defaults to 1 (each platform its
#   own colour).
if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_bycluster')) fig_bycluster = 1
load fig_templates.'/bars.gp'
