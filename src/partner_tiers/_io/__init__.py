"""Files: the converters' text formats, program and book files, the JSON Schemas, atomic
writes. Imports the rules and the model, never the engine.
"""
