# dist.gp: the noise behind each mean. Every run is a point (spread
# sideways by its run index so that equal values stay visible) over a box
# from the first to the third quartile with a line at the median, whiskers
# to the minimum and maximum, and the mean as a cross. analyze --plot
# --kind dist. The axis and the texts come from frame.gp. Run on its own
# it draws an example.
#
# Datablocks
#   $box       one row per group: group min q1 median q3 max mean n
#              group: 0-based position; quartiles as analyze computes
#              them (R type 7)
#   $runs      one row per run: group series value run (series unused)
#   and those of frame.gp ($yticks, $texts, $keys)
# Variables (default when not set)
#   fig_templates  directory holding style.gp and frame.gp ('templates')
#   fig_bw         box width, a position being 1 (0.5)
#   and those of frame.gp

if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_bw')) fig_bw = 0.5
if (!exists('$box')) {
	set print $box
	print '0 9 9.5 10 10.5 12 10.2 5'
	set print $runs
	print '0 0 9 0'
	print '0 0 9.5 1'
	print '0 0 10 2'
	print '0 0 10.5 3'
	print '0 0 12 4'
	unset print
	fig_ylo = 8
	fig_yhi = 13
	set print $yticks
	do for [i = 8:13] {
		print sprintf('%d 0', i)
	}
	unset print
}
load fig_templates.'/style.gp'
load fig_templates.'/frame.gp'

bw = fig_bw
set style fill solid 0.25 border lc rgb '#333333'
set boxwidth bw absolute
jitter(run) = 0.3 * bw * ((int(run) % 7) / 3.0 - 1)

plot $box using 1:3:2:6:5:(colour($1)) with candlesticks whiskerbars 0.5 lc variable notitle, \
	$box using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
	$runs using ($1 + jitter($4)):3:(colour($1)) with points pt 7 ps 0.45 lc variable notitle, \
	$box using 1:7 with points pt 2 ps 1.2 lw 2 lc rgb '#000000' notitle
