export * from './api';
export * from './stage';
export * from './route';
