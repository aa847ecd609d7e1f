export * from './service-websocket-api';
