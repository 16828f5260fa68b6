# syntax=docker/dockerfile:1
# earshot: build the TypeScript once, ship dist/ with production dependencies only.
#   docker build -t earshot .
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://user:pass@db:5432/earshot earshot

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
# --ignore-scripts: the "prepare" script builds, and the sources are not copied yet.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY monitor ./monitor
COPY detectors ./detectors
COPY bench ./bench
RUN npm run build

FROM node:20.20-bookworm-slim AS runtime
WORKDIR /app
# Production dependencies only; --ignore-scripts again, since "prepare" needs the dev dependencies.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# What package.json "files" ships: the build, the contracts, the SQL migrations (read at start), the runbooks (served at /runbooks).
COPY --from=build /app/dist ./dist
COPY contracts ./contracts
COPY monitor/store/migrations ./monitor/store/migrations
COPY alerts/runbooks.md ./alerts/runbooks.md
# The embedded store (PGlite, used when DATABASE_URL is unset) writes here; mount a volume to keep it.
RUN mkdir -p /var/lib/earshot && chown node:node /var/lib/earshot
ENV EARSHOT_DATA_DIR=/var/lib/earshot
USER node
EXPOSE 8080
# Liveness only (/healthz never touches the store). No curl in the slim image: node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+((process.env.EARSHOT_PORT??process.env.PORT)||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/monitor/cli/main.js", "serve"]
