# boot.gp: stacked bars, one per VMM (or configuration), each split into
# its components: the VMM's part and the guest's part of a boot (EuroSys'21
# fig. 10), or the boot phases of each allocator (fig. 14). The total is
# printed on the bar, with its error bar when the data has a total metric
# measured over several runs. analyze --plot picks it for the benchmark
# 'boot' with two metrics or more. Run on its own it draws an example.
#
# Datablocks
#   $stack       one row per bar: bar total lo hi err "label" c1 ... ck
#                bar: 0-based index into $clusters; total: the bar's total
#                (the mean of the total metric, or the sum of the parts);
#                lo, hi: its error bar (= total when none); err: 1 to draw
#                it; label: text above the bar; c1..ck: the mean of each
#                component, in the order of $components, from the base up
#   $clusters    one "name" per line: line i names bar i - 1
#   $components  one "name" per line: line j names component cj
# Variables (default when not set)
#   fig_templates  directory holding style.gp ('templates')
#   fig_title      title ('')
#   fig_ylabel     y axis label, unit included ('boot time (ms)')
#   fig_chars      figure width in characters of the body font (48)

if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_title')) fig_title = ''
if (!exists('fig_ylabel')) fig_ylabel = 'boot time (ms)'
if (!exists('fig_chars')) fig_chars = 48
if (!exists('$stack')) {
	set print $stack
	print '0 38.4 38.4 38.4 0 "38.4" 0.05 38.35'
	print '1 3.1 3.0 3.2 1 "3.1" 1.3 1.8'
	set print $clusters
	print '"qemu"'
	print '"firecracker"'
	set print $components
	print '"guest"'
	print '"vmm"'
	unset print
}
load fig_templates.'/style.gp'

nb = |$clusters|
nk = |$components|
bw = 0.6
# Top of component j (1-based) of the current row: the parts below it
# included. Columns 7 .. 6 + nk hold the components.
upto(j) = sum [i = 7:6 + j] column(i)

stats $stack using 4 nooutput
vmax = STATS_max
lmax = 0
do for [i = 1:nb] {
	t = strlen(word($stack[i], 6))
	lmax = (t > lmax) ? t : lmax
}
xsum = 0
do for [i = 1:nb] {
	xsum = xsum + strlen(word($clusters[i], 1)) + 2
}
rotlabels = (lmax * 0.8 > fig_chars * 0.8 * bw / nb)
rotxtics = (xsum > fig_chars * 0.85)
room = rotlabels ? 0.05 + 0.025 * lmax : 0.1
yr_hi = (vmax > 0 ? vmax : 1) * (1 + room)

set title fig_title
set ylabel fig_ylabel
set yrange [0 : yr_hi]
set xrange [-0.5 : nb - 0.5]
set xtics () scale 0
do for [i = 1:nb] {
	set xtics add (word($clusters[i], 1) i - 1)
}
if (rotxtics) {
	set xtics rotate by 35 right
} else {
	set xtics norotate center
}
if (nk < 2) {
	unset key
}
labels = rotlabels ? 'rotate by 90 left offset 0,0.3' : 'center offset 0,0.6'

plot for [j = 1:nk] $stack using 1:(upto(j)):($1 - bw / 2):($1 + bw / 2):(upto(j - 1)):(upto(j)) \
	with boxxyerror lc colour(j - 1) title word($components[j], 1), \
	$stack using 1:($5 != 0 ? $2 : NaN):3:4 with yerrorbars ps 0 lw 1 lc rgb '#000000' notitle, \
	$stack using 1:4:6 with labels @labels font ',10' notitle
