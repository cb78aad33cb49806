"""Packages as files: ordered members, IMS content-packaging manifests, deterministic zips, official-schema checks; nothing about quizzes."""
