# ratio.gp: the ratio of each platform's mean to the baseline's, with the
# Fieller confidence interval analyze computed, as bars growing up or down
# from 1 on a log2 axis, so that 2x slower and 2x faster are the same
# length. analyze orients every ratio so that up is worse than the
# baseline (a rate's ratio is inverted); the value labels are its wording
# ("1.73x faster"). Drawn by bars.gp. analyze --plot --kind ratio.
#
# Datablocks: as bars.gp; in $bars mean is the oriented ratio, lo and hi
#   its Fieller interval (err 0 when it is unbounded or n = 1).
# Variables: as bars.gp; fig_base (1) and fig_baseline (1: the line at 1)
#   are the defaults here.
if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_base')) fig_base = 1
if (!exists('fig_baseline')) fig_baseline = 1
load fig_templates.'/bars.gp'
