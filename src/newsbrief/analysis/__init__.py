"""What the analysis finds in source sentences: who says things, and what looks ahead."""
