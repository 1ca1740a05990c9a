"""Rating on Dask (the ``dask`` extra): the batch's semantics, partitioned.

=============  ==========================================================================
sources        partitions of source items: JSONL files (plain or compressed), Parquet
               row groups, folders of facts files, a caller's bag or dataframe
tally          what the population rules need of each partition, merged as a tree
               reduction: first ``branch.id`` seen, duplicates, quota candidates
rate           the graph: rate partitions (standard compiled once per worker), reduce the
               tallies, decide duplicates and the quota, finish each partition
=============  ==========================================================================

Public entry points are in :mod:`starrules.dask`.
"""
