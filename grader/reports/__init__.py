"""Renderers: a Grade (or many) in, text for people or machines out. No grading logic here."""
