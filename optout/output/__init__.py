"""What a person or a program sees: the terminal, result tables and JSON, prompts."""
