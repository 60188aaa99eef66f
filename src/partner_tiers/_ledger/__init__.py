"""Points as effective-dated batches and the ledger that totals them on any day. Imports
the model.
"""
