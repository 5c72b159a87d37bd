# stream.gp: STREAM bandwidth grouped by kernel (copy, scale, add, triad:
# the clusters) and platform (the series), in MB/s or GB/s (10^6, 10^9
# bytes per second, as McCalpin's STREAM counts them). Drawn by bars.gp;
# the axis is logarithmic only when the platforms differ by more than two
# decades (an emulator next to hardware). analyze --plot picks it for the
# benchmark 'stream' in MB/s.
#
# Datablocks and variables: as bars.gp.
if (!exists('fig_templates')) fig_templates = 'templates'
load fig_templates.'/bars.gp'
