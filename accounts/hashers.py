from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """
    Changes Argon2id's cost to OWASP's Password Storage Cheat Sheet minimum (19 MiB, 2 passes,
    1 lane): Django's 100 MiB over 8 lanes takes ~130 ms of a core per sign-in, which makes
    every guess a denial of service. The algorithm name stays `argon2`, so hashes made with
    Django's parameters verify and are re-hashed at the next sign-in (`must_update`).
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
