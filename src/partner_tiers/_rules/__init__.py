"""What a program is: rates, the tier ladder, review policy, tracks, gates, the registry of
rules, the program and its checks. Imports the ledger and the model.
"""
