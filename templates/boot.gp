# boot.gp: stacked bars, one per VMM (or configuration), each split into
# its components: the VMM's part and the guest's part of a boot (EuroSys'21
# fig. 10), or the boot phases of each allocator (fig. 14), the first
# component at the base. The total's error bar is drawn when the data has
# a total metric measured over several runs; the total's value label,
# the legend of the components and the other texts come from frame.gp.
# analyze --plot picks it for the benchmark 'boot' with two metrics or
# more. Run on its own it draws an example.
#
# Datablocks
#   $stack       one row per bar: bar total lo hi err c1 ... ck
#                bar: 0-based position; total: the bar's total (the mean
#                of the total metric, or the sum of the parts); lo, hi:
#                its error bar (= total when none); err: 1 to draw it;
#                c1..ck: the mean of each component, from the base up
#   and those of frame.gp ($yticks, $texts, $keys)
# Variables (default when not set)
#   fig_templates  directory holding style.gp and frame.gp ('templates')
#   fig_nk         components per bar (from $stack's first row)
#   fig_bw         bar width, a position being 1 (0.6)
#   and those of frame.gp

if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_bw')) fig_bw = 0.6
if (!exists('$stack')) {
	set print $stack
	print '0 38.4 38.4 38.4 0 0.05 38.35'
	print '1 3.1 3.0 3.2 1 1.3 1.8'
	unset print
	fig_nc = 2
	fig_yhi = 45
	set print $yticks
	do for [i = 0:4] {
		print sprintf('%d 0', 10 * i)
	}
	unset print
}
if (!exists('fig_nk')) fig_nk = words($stack[1]) - 5
load fig_templates.'/style.gp'
load fig_templates.'/frame.gp'

bw = fig_bw
nk = fig_nk
# Top of component j (1-based) of the current row: the parts below it
# included. Columns 6 .. 5 + nk hold the components.
upto(j) = (j < 1) ? 0 : sum [i = 6:5 + j] column(i)

plot for [j = 1:nk] $stack using 1:(upto(j)):($1 - bw / 2):($1 + bw / 2):(upto(j - 1)):(upto(j)) \
	with boxxyerror lc colour(j - 1) notitle, \
	$stack using 1:($5 != 0 && $4 > $3 ? $3 : NaN):(0):($4 - $3) \
	with vectors heads size screen 0.006,90 lw 1 lc rgb '#000000' notitle
