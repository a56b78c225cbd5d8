# syntax=docker/dockerfile:1
# Build stage: wheels for courtbot and its dependencies (a compiler is not needed at run time).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY booking ./booking
COPY storage ./storage
COPY sim ./sim
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATA_DIR=/data \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin courtbot \
    && mkdir /data && chown courtbot:courtbot /data && chmod 700 /data
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels
USER courtbot
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"HTTP_PORT\", \"8080\")}/healthz', timeout=4)"
STOPSIGNAL SIGTERM
CMD ["courtbot", "run"]
