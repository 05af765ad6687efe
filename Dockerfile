# NetWatch: the same steps as the README's "Build and run by hand" (npm ci, npm run build,
# npm ci --omit=dev, node dist/src/main.js). tests/container.test.ts checks each RUN is a README command.
# Build stage: compile the server and the UI.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Production dependencies only (better-sqlite3 is compiled here, where the toolchain is).
FROM node:20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime: one Node process serving the API and the built UI.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NETWATCH_DATA_DIR=/data HOST=0.0.0.0 PORT=8080
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/sql ./sql
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# The slim image has no curl: Node's own fetch asks /api/health (200 ok, 503 degraded → unhealthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + (process.env.NETWATCH_BASE_PATH || '/').replace(/\\/?$/, '/') + 'api/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
