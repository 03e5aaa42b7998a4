import { RuleExtractor } from './src/engine/extraction/rule-extractor.js';
const texts = process.argv.slice(2);
const messages = texts.map((content, i) => ({ id: `m${i}`, clientId: 'c', seq: i, recordedAt: new Date(), conversationId: 'conv', userId: 'u', customerId: '', role: 'user', content, metadata: {} })) as any;
const out = await new RuleExtractor().extract({ messages });
for (const m of out) console.log(`[${m.memoryType}/${m.category}] ${m.content}  key=${m.subjectKey} event=${m.eventDate?.toISOString?.()} until=${m.validUntil?.toISOString?.()}`);
