# bars.gp: grouped bars, one cluster per category on the x axis and one bar
# per series inside it, each with its confidence interval (or min..max)
# as an error bar, and optionally every run as a small point. analyze
# --plot --kind bars; also the engine of imagesize.gp, stream.gp,
# perplatform.gp and ratio.gp. The frame, the axis and every text (value
# labels, legend, category labels) come from frame.gp. Run on its own
# (gnuplot templates/bars.gp) it draws a small example.
#
# Datablocks
#   $bars      one row per bar: cluster series mean lo hi err
#              cluster, series: 0-based; mean: bar end in the axis unit;
#              lo, hi: error bar ends (= mean when there is none); err: 1
#              to draw the error bar, 0 not (n = 1, or --errorbars none)
#   $runs      optional; one row per run: cluster series value run,
#              drawn as small black points over the bars
#   and those of frame.gp ($yticks, $texts, $keys)
# Variables (default when not set)
#   fig_templates  directory holding style.gp and frame.gp ('templates')
#   fig_ns         bars side by side in a cluster (from $bars)
#   fig_bw         width of one bar, a cluster being 1 (0.8 / fig_ns, or
#                  0.6 for a single series)
#   fig_base       value the bars grow from (0; on a log axis the bottom
#                  of the axis)
#   fig_baseline   1: draw a line across at fig_base (0)
#   fig_bycluster  1: a single series takes one colour per cluster (1)
#   and those of frame.gp

if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_base')) fig_base = 0
if (!exists('fig_baseline')) fig_baseline = 0
if (!exists('fig_bycluster')) fig_bycluster = 1
if (!exists('$bars')) {
	set print $bars
	print '0 0 3 2.5 3.5 1'
	print '0 1 5 5 5 0'
	print '1 0 4 3.8 4.2 1'
	print '1 1 2 2 2 0'
	unset print
	fig_nc = 2
	fig_yhi = 6
	set print $yticks
	do for [i = 0:6] {
		print sprintf('%d 0', i)
	}
	unset print
}
load fig_templates.'/style.gp'
if (!exists('fig_ns')) {
	stats $bars using 2 nooutput
	fig_ns = int(STATS_max) + 1
}
if (!exists('fig_bw')) fig_bw = (fig_ns == 1) ? 0.6 : 0.8 / fig_ns
load fig_templates.'/frame.gp'

ns = fig_ns
bw = fig_bw
bx(c, s) = c + (s - (ns - 1) / 2.0) * bw
# An end a log axis cannot show is drawn at the axis' edge.
clip(v) = (fig_yscale == 1 || fig_yscale == 2) && v <= 0 ? fig_ylo : v

if (fig_baseline) {
	set arrow 1 from graph 0, first fig_base to graph 1, first fig_base nohead lw 1 lc rgb '#000000' back
}

runs = exists('$runs') ? ', $runs using (bx($1, $2) + 0.12 * bw * (int($4) % 5 - 2)):3 with points pt 7 ps 0.35 lc rgb "#000000" notitle' : ''
# One series alone takes a colour per cluster.
barcol = (ns == 1 && fig_bycluster) ? '$1' : '$2'

plot $bars using (bx($1, $2)):3:(bx($1, $2) - bw / 2):(bx($1, $2) + bw / 2):(fig_base):(clip($3)):(colour(@barcol)) \
	with boxxyerror lc variable notitle, \
	$bars using (bx($1, $2)):($6 != 0 && $5 > $4 ? clip($4) : NaN):(0):(clip($5) - clip($4)) \
	with vectors heads size screen 0.006,90 lw 1 lc rgb '#000000' notitle \
	@runs
