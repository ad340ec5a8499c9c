// A user action that talks to the api, said once for the whole app: while it runs `busy` is true
// (for :loading and :disabled); when it fails the api's own message is shown as an error toast
// instead of the action throwing; when it succeeds an optional success toast says what was done.
import { ElMessage } from 'element-plus';
import { ref } from 'vue';
import { errorText } from '@/api/client';

export interface ActionToasts<T> {
  /** what to say when the action is done, from its result */
  success?: (result: T) => string;
  /** put before the api's message in the error toast (`小票打印失败`) */
  failure?: string;
}

/** Runs `work` once; resolves whether it succeeded, having said so in a toast. */
export async function runAction<T>(
  work: () => Promise<T>,
  toasts: ActionToasts<T> = {},
): Promise<boolean> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    ElMessage.error(toasts.failure ? `${toasts.failure}：${errorText(error)}` : errorText(error));
    return false;
  }
  if (toasts.success) ElMessage.success(toasts.success(result));
  return true;
}

/** An action with its own busy flag. */
export function useAction() {
  const busy = ref(false);

  async function run<T>(work: () => Promise<T>, toasts: ActionToasts<T> = {}): Promise<boolean> {
    busy.value = true;
    try {
      return await runAction(work, toasts);
    } finally {
      busy.value = false;
    }
  }

  return { busy, run };
}
