"""DataFrames to matplotlib Figures, with no pyplot and no Qt: the UI embeds them in a canvas, the CLI
and tests render them to files. matplotlib is imported inside these modules, only when a chart is drawn.
"""
