"""What MED-bot knows: curated MED knowledge, search, level rules, profiles and Danish dates.

Pure Python: nothing in this package imports botbuilder, aiohttp or SQLAlchemy.
"""
