"""Ranking with shared places for ties (competition ranking: 1, 2, 2, 4)."""


def assign_ranks(values, *, descending=True):
    """Return each value's rank, in input order. Equal values share a rank and
    the next rank skips accordingly."""
    order = sorted(range(len(values)), key=lambda i: values[i], reverse=descending)
    ranks = [0] * len(values)
    previous = object()
    rank = 0
    for position, index in enumerate(order, 1):
        if values[index] != previous:
            rank = position
            previous = values[index]
        ranks[index] = rank
    return ranks
