"""The Docker side of grading: images, containers and the harness protocol."""
