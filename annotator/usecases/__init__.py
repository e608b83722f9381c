"""What the tool does, free of Textual and of printing: the annotate and review sessions,
import, pre-highlighting, agreement, export, training, stats, opening a project."""
