# bars.gp: grouped bars, one cluster per category on the x axis and one bar
# per series inside it, each with its confidence interval (or min..max)
# as an error bar and its value printed above it. analyze --plot --kind bars;
# also the engine of imagesize.gp, stream.gp, perplatform.gp and ratio.gp.
# Run on its own (gnuplot templates/bars.gp) it draws a small example.
#
# Datablocks
#   $bars      one row per bar: cluster series mean lo hi err "label"
#              cluster, series: 0-based indices into $clusters, $series;
#              mean: bar height in the axis unit; lo, hi: error bar ends
#              (= mean when there is none); err: 1 to draw the error bar,
#              0 not (n = 1, or --errorbars none); label: text on the bar
#   $clusters  one "name" per line: line i names cluster i - 1 (x tic label)
#   $series    one "name" per line: line i names series i - 1 (key entry;
#              a single series has no key)
#   $runs      optional; one row per run: cluster series value run,
#              drawn as small black points over the bars
# Variables (default when not set)
#   fig_templates  directory holding style.gp ('templates')
#   fig_title      title ('')
#   fig_ylabel     y axis label, unit included ('value')
#   fig_xlabel     x axis label ('')
#   fig_logy       1 logarithmic y axis, 0 linear, -1 automatic: logarithmic
#                  when the positive values span more than two decades (-1)
#   fig_logbase    base of the logarithmic axis (10)
#   fig_base       value the bars grow from; on a log axis 0 means the
#                  decade below the smallest value (0)
#   fig_chars      figure width in characters of the body font, to decide
#                  whether labels must be rotated (48)
#   fig_bycluster  1: a single series takes one colour per cluster (1)

if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_title')) fig_title = ''
if (!exists('fig_ylabel')) fig_ylabel = 'value'
if (!exists('fig_xlabel')) fig_xlabel = ''
if (!exists('fig_logy')) fig_logy = -1
if (!exists('fig_logbase')) fig_logbase = 10
if (!exists('fig_base')) fig_base = 0
if (!exists('fig_chars')) fig_chars = 48
if (!exists('fig_bycluster')) fig_bycluster = 1
if (!exists('$bars')) {
	set print $bars
	print '0 0 3 2.5 3.5 1 "3"'
	print '0 1 5 5 5 0 "5"'
	print '1 0 4 3.8 4.2 1 "4"'
	print '1 1 2 2 2 0 "2"'
	set print $clusters
	print '"example a"'
	print '"example b"'
	set print $series
	print '"series 1"'
	print '"series 2"'
	unset print
}
load fig_templates.'/style.gp'

nc = |$clusters|
ns = |$series|
# A cluster is 0.8 wide; a lone bar 0.6 so it does not look like a wall.
bw = (ns == 1) ? 0.6 : 0.8 / ns
bx(c, s) = c + (s - (ns - 1) / 2.0) * bw

stats $bars using 5 nooutput
vmax = STATS_max
stats $bars using 4 nooutput
vmin = STATS_min
logy = (fig_logy < 0) ? (vmin > 0 && vmax > 100 * vmin) : (fig_logy && vmin > 0)
if (logy && fig_base > 0) {
	vmin = (fig_base < vmin) ? fig_base : vmin
	vmax = (fig_base > vmax) ? fig_base : vmax
}

# Rotate value labels when they are wider than a bar, and x tic labels
# when all of them side by side would not fit.
lmax = 0
do for [i = 1:|$bars|] {
	t = strlen(word($bars[i], 7))
	lmax = (t > lmax) ? t : lmax
}
xsum = 0
do for [i = 1:nc] {
	xsum = xsum + strlen(word($clusters[i], 1)) + 2
}
barchars = fig_chars * 0.8 * bw / nc
rotlabels = (lmax * 0.8 > barchars)
# Bars narrower than a line of text get no value label at all: they
# would only cover each other (the numbers are in analyze's table).
showlabels = (barchars >= 1.1)
rotxtics = (xsum > fig_chars * 0.85)

# Head room beyond the longest bar for its label: a fraction of the axis.
room = !showlabels ? 0.05 : rotlabels ? 0.06 + 0.035 * lmax : 0.1
if (logy) {
	lb = log(fig_logbase)
	lo = floor(log(vmin) / lb)
	hi = log(vmax) / lb
	hi = (hi > lo) ? hi : lo + 1
	ybase = (fig_base > 0) ? fig_base : fig_logbase**lo
	yr_lo = fig_logbase**(lo - ((vmin < ybase) ? room / (1 - room) * (hi - lo) : 0))
	yr_hi = fig_logbase**(hi + room / (1 - room) * (hi - lo))
	set logscale y fig_logbase
	if (fig_logbase == 10) {
		set format y '%.0s%c'
		set mytics 10
	} else {
		# Powers of the base, at most about seven, 1/8 rather than 0.125.
		set ytics ()
		set mytics 1
		step = ceil((hi - lo + 1) / 7.0)
		do for [p = int(lo):int(ceil(hi)):step] {
			set ytics add ((p >= 0 ? sprintf('%g', fig_logbase**p) : sprintf('1/%g', fig_logbase**(-p))) fig_logbase**p)
		}
	}
} else {
	ybase = fig_base
	ylo = (vmin < 0) ? vmin : 0
	yhi = (vmax > 0) ? vmax : 0
	span = (yhi > ylo) ? yhi - ylo : 1
	yr_lo = ylo - ((vmin < 0) ? room * span : 0)
	yr_hi = yhi + room * span
	unset logscale y
}
set yrange [yr_lo : yr_hi]
if (fig_base != 0) {
	set arrow 1 from graph 0, first fig_base to graph 1, first fig_base nohead lw 1 lc rgb '#000000' back
}

set title fig_title
set ylabel fig_ylabel
set xlabel fig_xlabel
set xrange [-0.5 : nc - 0.5]
set xtics () scale 0
do for [i = 1:nc] {
	set xtics add (word($clusters[i], 1) i - 1)
}
# Slanted labels need about four characters of width per cluster; below
# that they stand upright.
xangle = !rotxtics ? 0 : (fig_chars * 0.8 / nc < 4) ? 90 : 35
if (xangle > 0) {
	set xtics rotate by xangle right
} else {
	set xtics norotate center
}
if (ns < 2) {
	unset key
}

# A value label sits just beyond the error bar: above a bar that grows
# up from the base, below one that grows down.
runs = exists('$runs') ? ', $runs using (bx($1, $2) + 0.12 * bw * (int($4) % 5 - 2)):3 with points pt 7 ps 0.35 lc rgb "#000000" notitle' : ''
labels_up = rotlabels ? 'rotate by 90 left offset 0,0.3' : 'center offset 0,0.6'
labels_down = rotlabels ? 'rotate by 90 right offset 0,-0.3' : 'center offset 0,-0.6'
# gnuplot 5.4.4 crashes on a 'with labels' plot whose points are all
# undefined (e.g. no bar below the base line): add each label plot only
# when it has at least one label.
n_below = 0
do for [i = 1:|$bars|] {
	n_below = n_below + (real(word($bars[i], 3)) < ybase)
}
n_above = |$bars| - n_below
labels_above = (showlabels && n_above > 0) ? ", $bars using (bx($1, $2)):($3 >= ybase ? $5 : NaN):7 with labels ".labels_up." font ',10' notitle" : ''
labels_below = (showlabels && n_below > 0) ? ", $bars using (bx($1, $2)):($3 < ybase ? $4 : NaN):7 with labels ".labels_down." font ',10' notitle" : ''
# One series alone takes a colour per cluster; the key names series.
if (ns == 1 && fig_bycluster) {
	barcol = ':(colour($1))'
	barlc = 'lc variable'
} else {
	barcol = ''
	barlc = 'lc colour(s)'
}

plot for [s = 0:ns - 1] $bars using (bx($1, $2)):($2 == s ? $3 : NaN):(bx($1, $2) - bw / 2):(bx($1, $2) + bw / 2):(ybase):3@barcol \
	with boxxyerror @barlc title (ns > 1 ? word($series[s + 1], 1) : ''), \
	$bars using (bx($1, $2)):($6 != 0 ? $3 : NaN):4:5 with yerrorbars ps 0 lw 1 lc rgb '#000000' notitle \
	@runs @labels_above @labels_below
