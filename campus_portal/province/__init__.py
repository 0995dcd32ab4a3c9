"""The link to the provincial government service network (浙江政务服务网 / 浙里办).

``models`` holds provincial matters, sync runs, the connector's health and hand-offs;
``contract`` validates what the province sends; ``client`` fetches it; ``sync`` applies it;
``health`` says whether the connector is up; ``search`` puts provincial matters into catalog
search; ``views`` serve the provincial matter page and the hand-off. Contract: docs/province.md.
"""
