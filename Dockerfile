# qrtz-audit container image (issue #14 part 8). README "Container image and GitHub Action".
#   docker build -t qrtz-audit .
#   docker run --rm --read-only --tmpfs /tmp qrtz-audit demo
#   docker run --rm --read-only --tmpfs /tmp -e PGPASSWORD qrtz-audit scan postgres://auditor@db/quartz
# Multi-stage: the build stage compiles TypeScript with every dependency; the runtime stage holds only the
# compiled CLI, its SQL and data files and the production dependencies, runs as a non-root numeric user and
# writes nothing outside /tmp (HOME, TMPDIR), so it works with a read-only root filesystem.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
# Compilers only for native modules without a prebuilt binary for the platform (better-sqlite3).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM node:20.20.2-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="qrtz-audit" \
      org.opencontainers.image.description="Read-only security auditor for Quartz JobStore databases" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    HOME=/tmp \
    TMPDIR=/tmp \
    NO_UPDATE_NOTIFIER=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY queries ./queries
COPY data ./data
COPY README.md ./README.md
# `qrtz-audit` on PATH too, for a shell command line (docs/recipes/kubernetes-cronjob.yaml: exec qrtz-audit …).
RUN ln -s /app/bin/qrtz-audit.js /usr/local/bin/qrtz-audit
# Reports go to a mounted directory (-v "$PWD:/work"); the image itself is never written to.
WORKDIR /work
# The node image's unprivileged user, by number (Kubernetes runAsNonRoot can verify a numeric user).
USER 1000:1000
ENTRYPOINT ["node", "/app/bin/qrtz-audit.js"]
CMD ["--help"]
