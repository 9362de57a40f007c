import type { APIRoute } from 'astro';
import { buildBank } from '../../components/quiz/bank-build';

/** /quiz/bank.json: the questions for the practice and mock-interview islands. */
export const GET: APIRoute = async () => new Response(JSON.stringify(await buildBank()), { headers: { 'Content-Type': 'application/json' } });
