"""Applies a program to a book: pricing into a ledger, the replay of reviews, the status of
a day, explanations, timelines. Imports the rules, the ledger and the model.
"""
