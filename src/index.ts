export * as mixins from './mixins';
export * from './alarms';
export * from './auth';
export * from './custom-domain';
export * from './http';
export * from './websocket';
export * from './aspects';
export * from './project';
