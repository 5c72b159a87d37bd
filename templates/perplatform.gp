# perplatform.gp: one benchmark, one bar per platform in its own colour,
# the mean with its error bar and every run as a small point, so that the
# noise behind a mean is visible (course memsweep, forksum, LINPACK).
# Drawn by bars.gp; analyze --plot picks it for memsweep, forksum and
# linpack.
#
# Datablocks: as bars.gp ($bars, $clusters, $series), and $runs (cluster
#   series value run), which analyze always writes for this kind.
# Variables: as bars.gp, with these defaults
#   fig_logy       -1: logarithmic when the platforms span more than two
#                  decades (memsweep: native ~5 s, emulated ~140 s is not)
#   fig_bycluster  1: each platform its own colour
if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_logy')) fig_logy = -1
if (!exists('fig_bycluster')) fig_bycluster = 1
load fig_templates.'/bars.gp'
