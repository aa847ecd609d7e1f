export async function handler(): Promise<{ isAuthorized: boolean }> {
  return { isAuthorized: false };
}
