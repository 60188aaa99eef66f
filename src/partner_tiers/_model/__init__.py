"""Values and records: money, codes, dates, the records of a partner's book, and the book
itself. Imports nothing of the package but the errors.
"""
