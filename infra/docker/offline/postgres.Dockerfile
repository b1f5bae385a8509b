# Stand-in for the official postgres:<major> image, for machines that cannot pull
# images (see ../offline-images.sh): Debian's postgresql-<major> package behind an
# entrypoint that honours what docker-compose.yml uses of the official one.
ARG BASE
FROM ${BASE}
ARG PG_MAJOR
# The official image's postgres user (uid 999); no cluster from the Debian package,
# the entrypoint creates one in PGDATA on first start.
RUN groupadd --system --gid 999 postgres \
    && useradd --system --gid postgres --uid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres \
    && mkdir -p /var/lib/postgresql /etc/postgresql-common/createcluster.d /docker-entrypoint-initdb.d \
    && chown postgres:postgres /var/lib/postgresql \
    && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/no-main-cluster.conf \
    && apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "postgresql-${PG_MAJOR}" >/dev/null \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /run/postgresql && chown postgres:postgres /run/postgresql && chmod 3777 /run/postgresql
ENV PATH=/usr/lib/postgresql/${PG_MAJOR}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
ARG RECIPE
LABEL orderflow.standin=${RECIPE}
