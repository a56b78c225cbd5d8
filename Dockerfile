# syntax=docker/dockerfile:1
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY booking ./booking
COPY storage ./storage
COPY sim ./sim
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 DATA_DIR=/data
RUN useradd --system --uid 10001 --home /data courtbot \
    && mkdir /data && chown courtbot /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER courtbot
VOLUME ["/data"]
EXPOSE 8080
CMD ["courtbot", "run"]
