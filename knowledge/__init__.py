"""What MED-bot knows: curated MED knowledge, search, level rules, profiles and Danish dates
(and the clock and time zone every layer shares, in knowledge.clock).

Pure Python: nothing in this package imports botbuilder, aiohttp or SQLAlchemy.
"""
