# imagesize.gp: image sizes grouped by application (clusters) and build
# configuration (series), in the unit analyze chose (B, KiB or MiB, base
# 1024) so that the labels stay short. Drawn by bars.gp; this file only
# sets what differs for sizes. analyze --plot picks it for the benchmark
# 'imagesize'.
#
# Datablocks: as bars.gp ($bars, $clusters, $series).
# Variables: as bars.gp, with these defaults
#   fig_ylabel  'image size'
#   fig_logy    0: sizes are compared as proportions, on a linear axis
if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_ylabel')) fig_ylabel = 'image size'
if (!exists('fig_logy')) fig_logy = 0
load fig_templates.'/bars.gp'
