# imagesize.gp: image sizes grouped by application (clusters) and build
# configuration (series), in the unit analyze chose (B, KiB or MiB, base
# 1024) so that the labels stay short. Drawn by bars.gp, on the linear
# axis analyze picks for values within two decades (sizes are compared
# as proportions). analyze --plot picks it for the benchmark 'imagesize'.
#
# Datablocks and variables: as bars.gp.
if (!exists('fig_templates')) fig_templates = 'templates'
load fig_templates.'/bars.gp'
