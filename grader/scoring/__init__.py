"""Pure scoring functions: RunRecord + Exercise → scores with evidence."""
