"""The workspace's door: who a company is (its verified domains) and, the one question the
rest of the code asks of it, whether a respondent counts toward a round's threshold."""
