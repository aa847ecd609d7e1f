export * from './stage-alarms';
