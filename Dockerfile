# NetWatch: the same steps as the README (npm ci, build, run dist/src/main.js).
# Build stage: compile the server and the UI.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime: one Node process serving the API and the built UI.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NETWATCH_DATA_DIR=/data HOST=0.0.0.0 PORT=8080
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/sql ./sql
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
