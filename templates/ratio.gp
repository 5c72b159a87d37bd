# ratio.gp: the ratio of each platform's mean to the baseline's, with the
# Fieller confidence interval analyze computed, as bars growing up or down
# from 1 on a log2 axis, so that 2x slower and 2x faster are the same
# length. Labels are analyze's wording ("1.73x faster"). Drawn by bars.gp.
# analyze --plot --kind ratio (one figure for every comparison).
#
# Datablocks: as bars.gp; in $bars mean is the ratio, lo and hi the
#   Fieller interval (err 0 when it is unbounded or n = 1), label the
#   wording; $clusters name benchmark/metric, $series the platforms.
# Variables: as bars.gp; fig_ylabel defaults to 'ratio to the baseline
#   (log scale)'; fig_logy = 1, fig_logbase = 2 and fig_base = 1 are fixed
if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_ylabel')) fig_ylabel = 'ratio to the baseline (log scale)'
fig_logy = 1
fig_logbase = 2
fig_base = 1
load fig_templates.'/bars.gp'
