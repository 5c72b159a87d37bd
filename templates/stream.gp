# stream.gp: STREAM bandwidth grouped by kernel (copy, scale, add, triad:
# the clusters) and platform (the series), in MB/s or GB/s (10^6, 10^9
# bytes per second, as McCalpin's STREAM counts them). Drawn by bars.gp;
# analyze --plot picks it for the benchmark 'stream' in MB/s.
#
# Datablocks: as bars.gp ($bars, $clusters, $series).
# Variables: as bars.gp, with these defaults
#   fig_ylabel  'bandwidth (MB/s), higher is better'
#   fig_logy    -1: logarithmic only when the platforms differ by more than
#               two decades (an emulator next to hardware)
if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_ylabel')) fig_ylabel = 'bandwidth (MB/s), higher is better'
if (!exists('fig_logy')) fig_logy = -1
load fig_templates.'/bars.gp'
