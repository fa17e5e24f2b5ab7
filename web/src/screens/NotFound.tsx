import { useTitle } from '../hooks/useTitle';
import { Link } from '../router';

export function NotFound({ message = 'There is no page at this address.' }: { message?: string }) {
  useTitle('Not found');
  return (
    <>
      <h1>Not found</h1>
      <p>{message}</p>
      <p>
        <Link to="/people">Go to People</Link>
      </p>
    </>
  );
}
